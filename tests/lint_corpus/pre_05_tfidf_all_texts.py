# expect: preprocessing-leak
# why: TF-IDF vocabulary and IDF learned from every document
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB

reviews = pd.read_csv("reviews.csv")
vectorizer = TfidfVectorizer(min_df=3, stop_words="english")
features = vectorizer.fit_transform(reviews["text"])
X_train, X_test, y_train, y_test = train_test_split(features, reviews["sentiment"], test_size=0.3)
nb = MultinomialNB()
nb.fit(X_train, y_train)
predictions = nb.predict(X_test)
