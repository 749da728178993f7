# expect: preprocessing-leak
# why: a helper imputes and scales the whole frame; a manual KFold loop follows
import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import RobustScaler


def preprocess(frame, columns):
    values = SimpleImputer(strategy="median").fit_transform(frame[columns])
    return RobustScaler().fit_transform(values)


X_all = preprocess(data, cols)
y_all = data["label"].to_numpy()
aucs = []
for train_idx, test_idx in KFold(n_splits=5, shuffle=True, random_state=3).split(X_all):
    lr = LogisticRegression().fit(X_all[train_idx], y_all[train_idx])
    aucs.append(roc_auc_score(y_all[test_idx], lr.predict_proba(X_all[test_idx])[:, 1]))
print(np.mean(aucs))
