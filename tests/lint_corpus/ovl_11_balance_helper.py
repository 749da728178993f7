# expect: overlap-leak
# why: a helper function balances the classes with SMOTE, then the split
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier


def balance(features, target):
    sampler = SMOTE(k_neighbors=3)
    return sampler.fit_resample(features, target)


Xb, yb = balance(X, y)
X_train, X_valid, y_train, y_valid = train_test_split(Xb, yb, test_size=0.2)
xgb = XGBClassifier().fit(X_train, y_train)
print(xgb.score(X_valid, y_valid))
