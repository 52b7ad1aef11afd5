"""Record linkage of persons across sources (DTKS, Dukcapil, P3KE, village lists); no Django.

- :mod:`.normalise`: Indonesian names to canonical words and phonetic keys (``names.yaml``);
- :mod:`.evidence`: identity evidence per record (NIK, dates, sex, codes);
- :mod:`.model`: the Splink 5 model (comparisons, capped blocking, training, scoring);
- :mod:`.cluster`: clusters without chaining different people;
- :mod:`.evaluate`: pairwise and B-cubed scores against a truth;
- :mod:`.pipeline`: one run from records or CSV files to clusters (``padu link``);
- :mod:`.incremental`: new records against existing clusters with a saved model
  (``padu link --existing``), :mod:`.incremental_cluster` for its clustering;
- :mod:`.spark`: the same model on Splink's Spark backend (``--engine spark``).
"""
