# expect: clean
# why: SelectKBest tuned inside a pipeline by GridSearchCV
from sklearn.feature_selection import SelectKBest
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
pipe = Pipeline([("select", SelectKBest()), ("clf", LogisticRegression(max_iter=1000))])
search = GridSearchCV(pipe, {"select__k": [5, 10, 20, 50]}, cv=5, scoring="roc_auc")
search.fit(X_train, y_train)
print(search.best_score_, search.score(X_test, y_test))
