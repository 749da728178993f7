# expect: overlap-leak
# why: RandomOverSampler duplicates minority rows before the split
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

ros = RandomOverSampler(random_state=0)
features_over, labels_over = ros.fit_resample(features, labels)
f_train, f_test, l_train, l_test = train_test_split(features_over, labels_over, stratify=labels_over)
tree = DecisionTreeClassifier().fit(f_train, l_train)
print(tree.score(f_test, l_test))
