"""One trading session of python-binance's futures client against a Binance-compatible base URL.

Usage: python_binance_session.py BASE_URL API_KEY API_SECRET. Prints a line per step; any failure raises.
"""
import sys

from binance.client import Client

base, key, secret = sys.argv[1:4]
c = Client(key, secret, ping=False)
c.FUTURES_URL = base + '/fapi'
info = c.futures_exchange_info()
assert any(s['symbol'] == 'BTCUSDT' for s in info['symbols'])
print('markets', len(info['symbols']))
print('ticker', c.futures_symbol_ticker(symbol='BTCUSDT')['price'])
print('24hr', c.futures_ticker(symbol='BTCUSDT')['lastPrice'])
balances = [b['balance'] for b in c.futures_account_balance() if b['asset'] == 'USDT']
assert balances and float(balances[0]) > 0
print('balance', balances[0])
assert c.futures_change_leverage(symbol='BTCUSDT', leverage=5)['leverage'] == 5
print('leverage 5')
opened = c.futures_create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity=0.002, newOrderRespType='RESULT')
assert opened['status'] == 'FILLED', opened
print('market buy', opened['status'])
stop = c._request_futures_api('post', 'algoOrder', True, data={
    'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'STOP_MARKET', 'triggerPrice': 50000, 'closePosition': 'true', 'algoType': 'CONDITIONAL'})
assert stop['algoStatus'] == 'NEW', stop
print('algo stop', stop['algoId'])
held = [p for p in c.futures_position_information(symbol='BTCUSDT') if float(p['positionAmt'])]
assert len(held) == 1, held
print('positions', len(held))
closed = c.futures_create_order(symbol='BTCUSDT', side='SELL', type='MARKET', quantity=0.002, reduceOnly='true', newOrderRespType='RESULT')
assert closed['status'] == 'FILLED', closed
print('reduce-only close', closed['status'])
assert len(c.futures_account_trades(symbol='BTCUSDT')) >= 2
print('trades ok')
assert c.futures_stream_get_listen_key()
print('listen key ok')
