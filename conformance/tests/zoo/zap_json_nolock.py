# Desvio: o estado mora no arquivo JSON e cada mensagem le o arquivo,
# altera e grava de volta, sem lock. Dois clientes ao mesmo tempo perdem
# atualizacoes um do outro (dois registros com o mesmo id, uma mensagem
# guardada que some). Sozinho, cada cliente e bem atendido.
from zap_base import ServidorZap, main


class SemLock:
    def __enter__(self):
        return self

    def __exit__(self, *erro):
        return False


class Servidor(ServidorZap):
    def __init__(self, porta):
        super().__init__(porta)
        self.lock = SemLock()

    def tratar(self, conn, msg):
        self.carregar()  # le o arquivo a cada mensagem
        super().tratar(conn, msg)


if __name__ == "__main__":
    main(Servidor)
