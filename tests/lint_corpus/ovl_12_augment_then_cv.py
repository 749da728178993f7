# expect: overlap-leak
# why: slightly perturbed copies appended before cross-validation
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_val_score

augmented = pd.concat([houses, houses.assign(area=houses["area"] * 1.01)], ignore_index=True)
scores = cross_val_score(RandomForestRegressor(), augmented[cols], augmented["price"], cv=5, scoring="r2")
print(scores.mean())
