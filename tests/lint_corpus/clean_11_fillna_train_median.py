# expect: clean
# why: missing values filled with the training median, on both sides
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
train_medians = X_train.median()
X_train = X_train.fillna(train_medians)
X_test = X_test.fillna(train_medians)
reg = RandomForestRegressor().fit(X_train, y_train)
print(reg.score(X_test, y_test))
