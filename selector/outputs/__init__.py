"""Layer 7, files and views for people: schedule CSV/JSON, terminal text, workbook, HTML report, plots."""
