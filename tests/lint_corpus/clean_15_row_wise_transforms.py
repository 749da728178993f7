# expect: clean
# why: row-wise transforms (log, ratios) before the split
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression

sales = pd.read_csv("sales.csv")
sales["log_price"] = np.log1p(sales["price"])
sales["price_per_m2"] = sales["price"] / sales["area"]
sales = pd.get_dummies(sales, columns=["district"])
train, test = train_test_split(sales, test_size=0.2, random_state=0)
lin = LinearRegression().fit(train.drop(columns="log_price"), train["log_price"])
print(lin.score(test.drop(columns="log_price"), test["log_price"]))
