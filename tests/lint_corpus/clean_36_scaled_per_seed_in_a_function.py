# expect: clean
# why: a function splits, scales on the training part and scores, called for several seeds
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def run(seed):
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed)
    scaler = StandardScaler().fit(X_tr)
    svc = SVC().fit(scaler.transform(X_tr), y_tr)
    return svc.score(scaler.transform(X_te), y_te)


print(np.mean([run(seed) for seed in range(5)]))
