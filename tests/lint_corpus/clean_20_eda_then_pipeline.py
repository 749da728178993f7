# expect: clean
# why: statistics printed during exploration; the model is fit on a proper split
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

df = pd.read_csv("loans.csv")
print(df.describe())
print("mean income", df["income"].mean())
print(df.isna().sum())
print(df["default"].value_counts(normalize=True))
X_train, X_test, y_train, y_test = train_test_split(df[num_cols], df["default"], stratify=df["default"])
clf = make_pipeline(SimpleImputer(), LogisticRegression()).fit(X_train, y_train)
print(clf.score(X_test, y_test))
