# expect: clean
# why: get_dummies on each side, test columns aligned to the training ones
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

train, test = train_test_split(df, test_size=0.2, random_state=0)
X_train = pd.get_dummies(train.drop(columns="y"))
X_test = pd.get_dummies(test.drop(columns="y")).reindex(columns=X_train.columns, fill_value=0)
tree = DecisionTreeClassifier(max_depth=5).fit(X_train, train["y"])
print(tree.score(X_test, test["y"]))
