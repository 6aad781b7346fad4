"""One trading session of ccxt's binanceusdm against a Binance-compatible base URL (the paper exchange).

Usage: ccxt_session.py BASE_URL API_KEY API_SECRET. Prints a line per step; any failure raises and exits non-zero.
"""
import sys

import ccxt

base, key, secret = sys.argv[1:4]
ex = ccxt.binanceusdm({'apiKey': key, 'secret': secret,
                       'options': {'fetchMarkets': ['linear'], 'fetchCurrencies': False, 'adjustForTimeDifference': False}})
for name, url in list(ex.urls['api'].items()):
    if isinstance(url, str) and url.startswith('https://fapi.binance.com'):
        ex.urls['api'][name] = url.replace('https://fapi.binance.com', base)
symbol = 'BTC/USDT:USDT'
markets = ex.load_markets()
assert symbol in markets, list(markets)
print('markets', len(markets))
ticker = ex.fetch_ticker(symbol)
assert ticker['last'] > 0 and ticker['high'] >= ticker['low'], ticker
print('ticker', ticker['last'])
balance = ex.fetch_balance()
assert balance['USDT']['free'] > 0, balance['USDT']
print('balance', balance['USDT']['free'])
ex.set_leverage(5, symbol)
print('leverage 5')
opened = ex.create_order(symbol, 'market', 'buy', 0.002)
assert opened['status'] == 'closed' and opened['filled'] == 0.002, opened
print('market buy', opened['status'])
stop = ex.create_order(symbol, 'STOP_MARKET', 'sell', None, params={'stopPrice': 50000, 'closePosition': True})
assert stop['id'], stop
print('algo stop', stop['id'])
positions = [p for p in ex.fetch_positions([symbol]) if p['contracts']]
assert len(positions) == 1 and positions[0]['side'] == 'long', positions
print('positions', len(positions))
closed = ex.create_order(symbol, 'market', 'sell', 0.002, params={'reduceOnly': True})
assert closed['status'] == 'closed', closed
print('reduce-only close', closed['status'])
trades = ex.fetch_my_trades(symbol)
assert len(trades) >= 2, trades
print('trades', len(trades))
listen = ex.fapiPrivatePostListenKey()
assert listen['listenKey'], listen
print('listen key ok')
