# expect: multi-test
# why: a dictionary of models, each scored on the test set
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
models = {
    "logistic": LogisticRegression(max_iter=1000),
    "forest": RandomForestClassifier(),
    "boosting": GradientBoostingClassifier(),
    "svm": SVC(),
}
results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    results[name] = model.score(X_test, y_test)
best = max(results, key=results.get)
print("best model:", best, results[best])
