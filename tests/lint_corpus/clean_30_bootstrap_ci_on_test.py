# expect: clean
# why: bootstrap confidence interval of one model's test score
import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.utils import resample

proba = model.predict_proba(X_test)[:, 1]
aucs = []
for i in range(1000):
    idx = resample(np.arange(len(y_test)), random_state=i)
    aucs.append(roc_auc_score(y_test[idx], proba[idx]))
print(np.percentile(aucs, [2.5, 97.5]))
