# expect: preprocessing-leak
# why: a hand-written standardiser class fit on all rows (a known blind spot)
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


class Standardiser:
    def fit(self, data):
        self.mu, self.sigma = data.mean(axis=0), data.std(axis=0)
        return self

    def apply(self, data):
        return (data - self.mu) / self.sigma


std = Standardiser().fit(X)
X_std = std.apply(X)
X_train, X_test, y_train, y_test = train_test_split(X_std, y, random_state=0)
knn = KNeighborsClassifier().fit(X_train, y_train)
print(knn.score(X_test, y_test))
