# expect: overlap-leak
# why: ADASYN on all rows, then a StratifiedKFold loop
import numpy as np
from imblearn.over_sampling import ADASYN
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier

X_os, y_os = ADASYN(random_state=0).fit_resample(X_np, y_np)
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
f1s = []
for tr, te in skf.split(X_os, y_os):
    knn = KNeighborsClassifier().fit(X_os[tr], y_os[tr])
    f1s.append(f1_score(y_os[te], knn.predict(X_os[te])))
print(np.mean(f1s))
