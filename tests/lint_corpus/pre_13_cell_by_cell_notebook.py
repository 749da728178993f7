# expect: preprocessing-leak
# why: notebook cells: KNNImputer on the frame in one cell, split and fit later
# %%
import pandas as pd
from sklearn.impute import KNNImputer

# %%
patients = pd.read_csv("patients.csv")
imputer = KNNImputer(n_neighbors=5)
patients[lab_columns] = imputer.fit_transform(patients[lab_columns])

# %%
from sklearn.model_selection import train_test_split
train, test = train_test_split(patients, test_size=0.2, random_state=7)

# %%
from sklearn.ensemble import HistGradientBoostingClassifier
model = HistGradientBoostingClassifier().fit(train[lab_columns], train["outcome"])
model.score(test[lab_columns], test["outcome"])
