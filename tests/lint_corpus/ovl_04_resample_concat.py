# expect: overlap-leak
# why: sklearn.utils.resample upsamples the minority, concat, then split
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils import resample

df = pd.read_csv("churn.csv")
majority = df[df.churn == 0]
minority = df[df.churn == 1]
minority_upsampled = resample(minority, replace=True, n_samples=len(majority), random_state=123)
balanced = pd.concat([majority, minority_upsampled])
X = balanced.drop("churn", axis=1)
y = balanced.churn
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)
clf = LogisticRegression().fit(X_train, y_train)
