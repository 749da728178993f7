# expect: multi-test
# why: itertools.product over two hyper-parameters, F1 on the test set
from itertools import product
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

results = []
for depth, leaves in product([4, 8, 16], [1, 5, 20]):
    forest = RandomForestClassifier(max_depth=depth, min_samples_leaf=leaves, random_state=0)
    forest.fit(X_train, y_train)
    results.append(((depth, leaves), f1_score(y_test, forest.predict(X_test))))
print(sorted(results, key=lambda r: r[1])[-1])
