# expect: overlap-leak
# why: minority bootstrapped with DataFrame.sample(replace=True) before the split
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

fraud = data[data.is_fraud == 1]
legit = data[data.is_fraud == 0]
fraud_boot = fraud.sample(n=len(legit), replace=True, random_state=1)
upsampled = pd.concat([legit, fraud_boot]).sample(frac=1, random_state=1)
X_tr, X_te, y_tr, y_te = train_test_split(upsampled[feature_cols], upsampled["is_fraud"])
svm = LinearSVC().fit(X_tr, y_tr)
