# expect: clean
# why: PolynomialFeatures is stateless: expanding before the split is safe
from sklearn.preprocessing import PolynomialFeatures
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Lasso

X_poly = PolynomialFeatures(degree=2, include_bias=False).fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_poly, y, random_state=0)
lasso = Lasso(alpha=0.01).fit(X_train, y_train)
print(lasso.score(X_test, y_test))
