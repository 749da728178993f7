# expect: clean
# why: SMOTE inside each training fold of a manual loop
import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.ensemble import RandomForestClassifier

aucs = []
for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, y):
    X_res, y_res = SMOTE(random_state=0).fit_resample(X[tr], y[tr])
    forest = RandomForestClassifier(random_state=0).fit(X_res, y_res)
    aucs.append(roc_auc_score(y[te], forest.predict_proba(X[te])[:, 1]))
print(np.mean(aucs))
