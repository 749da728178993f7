# expect: clean
# why: a mean computed for a chart; the model is cross-validated as a pipeline
import matplotlib.pyplot as plt
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import RandomForestClassifier

average = df["amount"].mean()
df["amount"].hist(bins=50)
plt.axvline(average, color="red")
pipe = make_pipeline(SimpleImputer(), RandomForestClassifier())
print(cross_val_score(pipe, df[cols], df["label"], cv=5).mean())
