# expect: overlap-leak
# why: SMOTE before cross_val_score
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

X_bal, y_bal = SMOTE().fit_resample(X_scaled, y)
scores = cross_val_score(LogisticRegression(max_iter=500), X_bal, y_bal, cv=10, scoring="f1")
print("F1 %.3f" % scores.mean())
