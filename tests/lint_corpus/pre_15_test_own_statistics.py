# expect: preprocessing-leak
# why: the test rows are imputed with their own mean
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
X_train = X_train.fillna(X_train.mean())
X_test = X_test.fillna(X_test.mean())
lr = LogisticRegression().fit(X_train, y_train)
print(lr.score(X_test, y_test))
