# expect: multi-test
# why: the decision threshold is tuned on the test set (a known blind spot)
import numpy as np
from sklearn.metrics import f1_score

proba = model.predict_proba(X_test)[:, 1]
thresholds = np.linspace(0.05, 0.95, 19)
f1s = [f1_score(y_test, proba >= t) for t in thresholds]
best_threshold = thresholds[int(np.argmax(f1s))]
print("F1 at the best threshold:", max(f1s))
