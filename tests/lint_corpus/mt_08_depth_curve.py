# expect: multi-test
# why: tree depth picked from a test-accuracy curve
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
depths = range(1, 21)
test_acc = []
for depth in depths:
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_tr, y_tr)
    test_acc.append(tree.score(X_te, y_te))
best_depth = depths[test_acc.index(max(test_acc))]
final = DecisionTreeClassifier(max_depth=best_depth).fit(X_tr, y_tr)
print("test accuracy", final.score(X_te, y_te))
