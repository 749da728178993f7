# expect: preprocessing-leak
# why: Kaggle style: train and test concatenated, imputed together, sliced back
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor

train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
y = train.pop("SalePrice")
all_data = pd.concat([train, test], axis=0)
all_data = all_data.fillna(all_data.mean(numeric_only=True))
all_data = pd.get_dummies(all_data)
X = all_data[: len(train)]
X_test = all_data[len(train):]
gbr = GradientBoostingRegressor()
gbr.fit(X, y)
submission = gbr.predict(X_test)
