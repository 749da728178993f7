# expect: preprocessing-leak
# why: features chosen by their correlation with the target over all rows
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

housing = pd.read_csv("housing.csv")
correlations = housing.corr(numeric_only=True)["price"].abs().sort_values(ascending=False)
top_features = correlations.index[1:11]
X = housing[top_features]
y = housing["price"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
ridge = Ridge(alpha=1.0).fit(X_train, y_train)
print(ridge.score(X_test, y_test))
