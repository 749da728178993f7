# expect: preprocessing-leak
# why: Titanic: median of the whole frame fills Age, inplace
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

titanic = pd.read_csv("titanic.csv")
titanic["Age"].fillna(titanic["Age"].median(), inplace=True)
titanic["Embarked"] = titanic["Embarked"].fillna(titanic["Embarked"].mode()[0])
features = ["Pclass", "Age", "SibSp", "Parch", "Fare"]
X_train, X_test, y_train, y_test = train_test_split(titanic[features], titanic["Survived"], test_size=0.25)
rf = RandomForestClassifier(n_estimators=200)
rf.fit(X_train, y_train)
print("accuracy", rf.score(X_test, y_test))
