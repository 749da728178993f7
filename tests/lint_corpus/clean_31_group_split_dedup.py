# expect: clean
# why: de-duplicated, then GroupShuffleSplit by customer
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier

tx = pd.read_csv("transactions.csv").drop_duplicates()
splitter = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
train_idx, test_idx = next(splitter.split(tx, groups=tx["customer_id"]))
train, test = tx.iloc[train_idx], tx.iloc[test_idx]
forest = RandomForestClassifier(random_state=0).fit(train[cols], train["is_fraud"])
print(forest.score(test[cols], test["is_fraud"]))
