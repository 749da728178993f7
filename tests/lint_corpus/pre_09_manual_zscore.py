# expect: preprocessing-leak
# why: z-scores computed by hand from the whole frame
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

df = pd.read_csv("heart.csv")
numeric = ["age", "trestbps", "chol", "thalach", "oldpeak"]
df[numeric] = (df[numeric] - df[numeric].mean()) / df[numeric].std()
train_df, test_df = train_test_split(df, test_size=0.2, stratify=df["target"])
clf = SVC()
clf.fit(train_df[numeric], train_df["target"])
print(clf.score(test_df[numeric], test_df["target"]))
