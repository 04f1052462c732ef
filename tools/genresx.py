import sys, html
# usage: genresx.py TSV OUTDIR BASENAME ; TSV lines: key \t vi \t en
rows=[l.rstrip('\n').split('\t') for l in open(sys.argv[1],encoding='utf-8') if l.strip() and not l.startswith('#')]
out, base = sys.argv[2], sys.argv[3]
head='''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
for idx,suffix in ((1,''),(2,'.en')):
    with open(f'{out}/{base}{suffix}.resx','w',encoding='utf-8') as f:
        f.write(head)
        for r in rows:
            assert len(r)==3, r
            f.write(f'  <data name="{r[0]}" xml:space="preserve"><value>{html.escape(r[idx],quote=False)}</value></data>\n')
        f.write('</root>\n')
