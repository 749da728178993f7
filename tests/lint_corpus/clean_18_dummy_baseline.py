# expect: clean
# why: a dummy baseline next to the one model on the test set
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
forest = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print("baseline", baseline.score(X_test, y_test))
print("forest", forest.score(X_test, y_test))
