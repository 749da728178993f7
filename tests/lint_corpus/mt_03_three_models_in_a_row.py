# expect: multi-test
# why: three models compared one after another on the same test split
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, AdaBoostClassifier

x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3)
dt = DecisionTreeClassifier().fit(x_train, y_train)
print("tree", accuracy_score(y_test, dt.predict(x_test)))
rf = RandomForestClassifier().fit(x_train, y_train)
print("forest", accuracy_score(y_test, rf.predict(x_test)))
ada = AdaBoostClassifier().fit(x_train, y_train)
print("adaboost", accuracy_score(y_test, ada.predict(x_test)))
