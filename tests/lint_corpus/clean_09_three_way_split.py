# expect: clean
# why: tuned on a validation split, the test set used once
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.25, random_state=0)
best_k, best_acc = None, 0
for k in [1, 3, 5, 9, 15]:
    acc = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_val, y_val)
    if acc > best_acc:
        best_k, best_acc = k, acc
final = KNeighborsClassifier(n_neighbors=best_k).fit(X_tmp, y_tmp)
print("test accuracy", final.score(X_test, y_test))
