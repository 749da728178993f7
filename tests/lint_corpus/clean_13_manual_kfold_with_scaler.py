# expect: clean
# why: a manual KFold loop that fits the scaler inside each fold
import numpy as np
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge

kf = KFold(n_splits=5, shuffle=True, random_state=0)
errors = []
for train_index, test_index in kf.split(X):
    X_tr, X_te = X[train_index], X[test_index]
    y_tr, y_te = y[train_index], y[test_index]
    scaler = StandardScaler().fit(X_tr)
    ridge = Ridge().fit(scaler.transform(X_tr), y_tr)
    errors.append(np.mean((ridge.predict(scaler.transform(X_te)) - y_te) ** 2))
print(np.mean(errors))
