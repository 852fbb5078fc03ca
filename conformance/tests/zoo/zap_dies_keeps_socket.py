# Desvio: o mesmo bug de zap_dies_on_online_05.py, mas sem "with conn": a
# thread morre e o socket fica aberto (o dicionario online ainda o guarda).
# Quem enviou nao recebe fechamento, so silencio; ninguem mais le o que ele
# manda, mas o que chega para ele ainda e entregue.
from zap_dies_on_online_05 import Servidor as MorreNo05
from zap_base import main


class Servidor(MorreNo05):
    def handle_client(self, conn, addr):
        print(f"[+] nova conexão {addr}")
        self.atender(conn, addr)
        conn.close()
        self.desconectou(conn)


if __name__ == "__main__":
    main(Servidor)
