# expect: clean
# why: models compared by cross-validation on the training set, the winner scored once
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
candidates = {"lr": LogisticRegression(max_iter=1000), "rf": RandomForestClassifier()}
cv_means = {name: cross_val_score(m, X_train, y_train, cv=5).mean() for name, m in candidates.items()}
winner = candidates[max(cv_means, key=cv_means.get)]
winner.fit(X_train, y_train)
print("held-out accuracy", winner.score(X_test, y_test))
