"""Xapian's side of `gongkai-bench peers`: builds a database of the documents read from
stdin (JSON lines with title, doc_no and body), then answers each query of the query file
as a results page does — the first 20 by relevance with their titles, 发文字号 and
`MSet.snippet` (CJK n-grams), and the estimated total — once untimed, then once timed.
Prints one JSON object: the build's seconds and each timed query's milliseconds and total.

Run with Debian's interpreter, which has python3-xapian: /usr/bin/python3.
"""

import json
import sys
import time

import xapian


def main() -> None:
    db_path, queries_path = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    n = 0
    for line in sys.stdin:
        d = json.loads(line)
        doc = xapian.Document()
        tg.set_document(doc)
        # The title weighted double, as gongkai's and FTS5's are.
        tg.index_text(d["title"], 2)
        tg.index_text(d["body"])
        doc.set_data(line)
        db.add_document(doc)
        n += 1
    db.commit()
    build_secs = time.perf_counter() - started

    qp = xapian.QueryParser()
    qp.set_database(db)
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM
    enquire = xapian.Enquire(db)
    stem = xapian.Stem("none")

    def page(q: str) -> int:
        enquire.set_query(qp.parse_query(q, flags))
        mset = enquire.get_mset(0, 20)
        for hit in mset:
            d = json.loads(hit.document.get_data())
            mset.snippet(d["body"], 160, stem, xapian.MSet.SNIPPET_CJK_NGRAM, "<b>", "</b>", "…")
        return mset.get_matches_estimated()

    with open(queries_path, encoding="utf-8") as f:
        queries = [q.strip() for q in f if q.strip()]
    for q in queries:
        page(q)
    times, totals = [], []
    for q in queries:
        t = time.perf_counter()
        totals.append(page(q))
        times.append((time.perf_counter() - t) * 1000.0)
    print(json.dumps({"n": n, "build_secs": build_secs, "times_ms": times, "totals": totals}))


if __name__ == "__main__":
    main()
