# expect: preprocessing-leak
# why: univariate selection on all rows, then cross-validation
import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 5000))
y = rng.integers(0, 2, 200)
selector = SelectKBest(f_classif, k=20)
X_best = selector.fit_transform(X, y)
scores = cross_val_score(LogisticRegression(), X_best, y, cv=5, scoring="roc_auc")
print(scores.mean())
