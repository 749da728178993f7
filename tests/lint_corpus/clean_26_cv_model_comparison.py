# expect: clean
# why: several models compared by cross-validation, no test set involved
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

for name, model in [("lr", LogisticRegression()), ("rf", RandomForestClassifier()), ("svc", SVC())]:
    scores = cross_val_score(model, X, y, cv=5)
    print(f"{name}: {scores.mean():.3f} ± {scores.std():.3f}")
