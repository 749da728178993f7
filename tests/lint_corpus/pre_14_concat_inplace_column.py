# expect: preprocessing-leak
# why: train and test stacked, a column filled in place with the joint median, sliced back with iloc
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
n_train = train.shape[0]
full = pd.concat([train, test], ignore_index=True)
full["Age"].fillna(full["Age"].median(), inplace=True)
full["Fare"] = full["Fare"].fillna(full["Fare"].mean())
X = full.iloc[:n_train][features]
X_submit = full.iloc[n_train:][features]
gbc = GradientBoostingClassifier().fit(X, train["Survived"])
predictions = gbc.predict(X_submit)
