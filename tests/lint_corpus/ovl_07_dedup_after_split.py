# expect: overlap-leak
# why: duplicates dropped from the training part only, after the split
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

events = pd.read_csv("events.csv")
train, test = train_test_split(events, test_size=0.2, random_state=5)
train = train.drop_duplicates()
nb = GaussianNB().fit(train[feature_cols], train["target"])
print(nb.score(test[feature_cols], test["target"]))
