# expect: clean
# why: category means computed on the training rows and mapped onto the test rows
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier

train, test = train_test_split(tx, test_size=0.2, random_state=0)
rates = train.groupby("merchant_id")["is_fraud"].mean()
train["merchant_rate"] = train["merchant_id"].map(rates)
test["merchant_rate"] = test["merchant_id"].map(rates).fillna(train["is_fraud"].mean())
gb = GradientBoostingClassifier().fit(train[["amount", "merchant_rate"]], train["is_fraud"])
print(gb.score(test[["amount", "merchant_rate"]], test["is_fraud"]))
