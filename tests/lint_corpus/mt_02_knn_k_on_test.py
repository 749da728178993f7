# expect: multi-test
# why: k of k-NN chosen by test accuracy
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y)
accuracy = []
for k in range(1, 31):
    knn = KNeighborsClassifier(n_neighbors=k)
    knn.fit(X_train, y_train)
    accuracy.append(knn.score(X_test, y_test))
plt.plot(range(1, 31), accuracy)
best_k = accuracy.index(max(accuracy)) + 1
