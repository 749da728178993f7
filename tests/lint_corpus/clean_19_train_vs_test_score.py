# expect: clean
# why: one model's training and test scores (overfitting check)
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
tree = DecisionTreeRegressor(max_depth=6).fit(X_train, y_train)
print("train R2", tree.score(X_train, y_train))
print("test R2", tree.score(X_test, y_test))
