# expect: overlap-leak
# why: positive rows appended to the frame three more times
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier

positives = df[df["label"] == 1]
df_aug = pd.concat([df, positives, positives, positives], ignore_index=True)
train, test = train_test_split(df_aug, test_size=0.2, random_state=0)
et = ExtraTreesClassifier().fit(train[cols], train["label"])
print(et.score(test[cols], test["label"]))
