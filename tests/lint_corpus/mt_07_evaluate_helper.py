# expect: multi-test
# why: an evaluate() helper called for each candidate
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)


def evaluate(model):
    model.fit(X_train, y_train)
    return f1_score(y_test, model.predict(X_test))


print("lr", evaluate(LogisticRegression(max_iter=2000)))
print("rf", evaluate(RandomForestClassifier(n_estimators=300)))
print("gb", evaluate(GradientBoostingClassifier()))
