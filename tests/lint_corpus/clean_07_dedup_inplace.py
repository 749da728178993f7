# expect: clean
# why: drop_duplicates(inplace=True) before the split
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("claims.csv")
df.drop_duplicates(subset=["claim_id"], inplace=True)
train, test = train_test_split(df, test_size=0.3, random_state=0)
lr = LogisticRegression().fit(train[features], train["fraud"])
print(lr.score(test[features], test["fraud"]))
