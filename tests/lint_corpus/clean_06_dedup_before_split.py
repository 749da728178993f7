# expect: clean
# why: duplicates dropped before the split
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

raw = pd.read_csv("orders.csv")
raw = raw.drop_duplicates()
X_train, X_test, y_train, y_test = train_test_split(raw[cols], raw["returned"], test_size=0.2)
print(RandomForestClassifier().fit(X_train, y_train).score(X_test, y_test))
