# expect: multi-test
# why: a validation split exists, but the finalists are compared on the test set too
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier

X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=0)
for n in [100, 300]:
    rf = RandomForestClassifier(n_estimators=n).fit(X_train, y_train)
    print("val", n, rf.score(X_val, y_val))
forest = RandomForestClassifier(n_estimators=300).fit(X_rest, y_rest)
extra = ExtraTreesClassifier(n_estimators=300).fit(X_rest, y_rest)
print("test forest", forest.score(X_test, y_test))
print("test extra trees", extra.score(X_test, y_test))
