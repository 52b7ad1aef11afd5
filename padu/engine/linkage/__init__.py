"""Record linkage of persons across sources (DTKS, Dukcapil, P3KE, village lists); no Django.

- :mod:`.normalise`: Indonesian names to canonical words and phonetic keys;
- :mod:`.evidence`: identity evidence per record (NIK, dates, sex, codes);
"""
